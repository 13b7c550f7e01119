// otlp-sink accepts OTLP/HTTP trace exports and discards them, so that the
// telemetry benchmark measures the exporting service, not a backend.
// It answers every POST /v1/traces with 200 and an empty JSON object, and
// prints the requests and bytes it received when it stops.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

func main() {
	address := flag.String("addr", "127.0.0.1:4318", "address to listen on")
	flag.Parse()

	var requests, received atomic.Int64
	http.HandleFunc("/v1/traces", func(writer http.ResponseWriter, request *http.Request) {
		if request.Method != http.MethodPost {
			http.Error(writer, "expected POST", http.StatusMethodNotAllowed)
			return
		}
		count, _ := io.Copy(io.Discard, request.Body)
		requests.Add(1)
		received.Add(count)
		writer.Header().Set("Content-Type", "application/json")
		writer.Write([]byte("{}"))
	})

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		fmt.Printf("otlp-sink: %d exports, %d bytes\n", requests.Load(), received.Load())
		os.Exit(0)
	}()
	log.Fatal(http.ListenAndServe(*address, nil))
}
