// A module outside bindings/go that uses the binding, as another project would
// (bindings/README.md, "Using the module from another module"). run.sh builds it.
module example.com/npyio-consumer

go 1.18

require libnpyio.dev/npyio v0.0.0

// The binding is not published: point the module path at a checkout of libnpyio.
replace libnpyio.dev/npyio => ../../../bindings/go
