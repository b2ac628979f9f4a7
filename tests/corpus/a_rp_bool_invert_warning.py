# CPython folds `~True` at compile time and emits no DeprecationWarning under the default
# warning filters; at run time (a bool in a variable) it does warn.
print(~True, ~False)
