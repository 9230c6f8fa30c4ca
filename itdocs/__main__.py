from itdocs.cli import main

main()
