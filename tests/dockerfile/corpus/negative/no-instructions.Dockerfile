# only comments

# nothing else
