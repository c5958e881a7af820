"""The register's read API, at /api/v1/, with API users' self-service for their clients and tokens.

Plain Django views over a route table (routes): the table gives the URLs (urls), the OpenAPI
document and the developer documentation (documentation), and http turns it into views that
authenticate (authentication), rate-limit (ratelimit), check parameters (params) and bodies, and
answer every error as JSON (errors). Responses are msgspec Structs (schemas), read with few queries
(queries); a provider's document is built by one builder (documents) for its own page and for the
changes feed, whose rows the write path keeps (registry.services.published_providers).
"""
