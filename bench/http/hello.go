// Command hello-go is the Go net/http baseline for bench/http/run.
//
// GET / returns "Hello, World!" as text/plain, and GET /json returns
// {"message":"Hello, World!"} encoded with encoding/json on every request.
// It uses the standard library only, so it builds without network access.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
)

var helloBody = []byte("Hello, World!")

type message struct {
	Message string `json:"message"`
}

func handleRoot(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Write(helloBody)
}

func handleJSON(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := json.Marshal(message{Message: "Hello, World!"})
	if err != nil {
		log.Printf("encoding /json response failed: %v", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address as host:port")
	flag.Parse()

	mux := http.NewServeMux()
	mux.HandleFunc("/", handleRoot)
	mux.HandleFunc("/json", handleJSON)

	// IdleTimeout and ReadTimeout stay zero, so idle keep-alive connections
	// stay open until the client closes them. The idle-connection memory
	// test in bench/http/run relies on that.
	server := &http.Server{Addr: *addr, Handler: mux}
	log.Printf("hello-go listening on http://%s/", *addr)
	log.Fatal(server.ListenAndServe())
}
