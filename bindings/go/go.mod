module libnpyio.dev/npyio

go 1.18
