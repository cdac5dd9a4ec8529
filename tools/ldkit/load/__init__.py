"""The first stage: read a file into a positioned JSON document (every value
knows its line and column) and address values by JSON pointer."""
