from kimsite.cli import main

main()
