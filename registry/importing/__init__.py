"""Importing the register from the DfE's provider and partnership files (`manage.py register_import`).

`importer.register_import` runs an import; its module docstring says which module does each step.
`fixtures` writes the register as it then is into the fixtures `make run` loads.
"""
