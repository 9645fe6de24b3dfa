import ArgumentParser
import Keras

AllocatorTuning.apply()   // the command owns its process: freed tensor buffers are reused (the library never does this by itself)
KerasCommand.main()
