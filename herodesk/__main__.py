from herodesk.cli import main

main()
