// Command npyio-consumer reads a float64 .npy file, prints its shape and sum, and saves the
// array doubled to a second file: npyio-consumer IN.npy OUT.npy.
package main

import (
	"fmt"
	"log"
	"os"

	"libnpyio.dev/npyio"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: npyio-consumer IN.npy OUT.npy")
	}
	f, err := npyio.Open(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	data, err := npyio.Read[float64](f)
	if err != nil {
		log.Fatal(err)
	}
	sum := 0.0
	for i, x := range data {
		sum += x
		data[i] = 2 * x
	}
	if err := npyio.Save(os.Args[2], data, f.Shape()); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("libnpyio %s: shape %v, sum %g\n", npyio.Version(), f.Shape(), sum)
}
