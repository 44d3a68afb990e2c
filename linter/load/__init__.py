"""Loading: bytes of a YAML or JSON file into a positioned tree plus findings (never an exception)."""
