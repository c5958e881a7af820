"""Structured logs: one JSON object per line, for the log pipeline rather than for eyes."""

import datetime
import json
import logging

# Attributes every LogRecord has; anything else was passed in `extra=` and belongs in the output.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes newlines and quotes, so a crafted value cannot forge a second record.
        return json.dumps(entry, default=str, ensure_ascii=False)
