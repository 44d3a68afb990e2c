"""Static shell knowledge for the wrap rules: which interpreter parses a string, how a POSIX shell
splits it into words and operators, and how long a command line may be."""
