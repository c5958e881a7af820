"""Importing the register from the DfE's provider and partnership files (`manage.py register_import`)."""
