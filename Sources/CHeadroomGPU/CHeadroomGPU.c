// Header-only module: SwiftPM needs one C source file to build it.
