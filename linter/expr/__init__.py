"""Format strings and the EXPR expression language: parsing, types, scopes and evaluation."""
