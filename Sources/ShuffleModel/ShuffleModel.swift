// ShuffleNet model code arrives here.
