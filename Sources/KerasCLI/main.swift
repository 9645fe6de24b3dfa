import ArgumentParser

KerasCommand.main()
