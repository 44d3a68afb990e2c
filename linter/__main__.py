from openjd_lint.cli import main

raise SystemExit(main())
