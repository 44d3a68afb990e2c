"""Loading: bytes of a YAML or JSON file into a positioned tree plus findings (never an exception)."""

from openjd_lint.load.yaml_loader import Loaded, load_bytes

__all__ = ["Loaded", "load_bytes"]
