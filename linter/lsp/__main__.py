import sys

from openjd_lint.lsp import main

sys.exit(main(sys.argv[1:]))
