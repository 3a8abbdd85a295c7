import Headroom
print(ByteCount.gibibytes(2))
