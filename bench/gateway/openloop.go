// Command openloop sends GET requests at a fixed rate, whatever the
// latency, and reports latency percentiles measured from each request's
// scheduled send time, so a stall delays the requests queued behind it
// and shows in the result (no coordinated omission).
//
// It prints one line: requests, errors, achieved rate, p50 and p99 in
// microseconds. It uses the standard library only. -header "Name: value"
// adds a request header field, such as an Authorization token.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

type sample struct {
	latency time.Duration
	failed  bool
}

func main() {
	url := flag.String("url", "", "the URL to GET")
	rate := flag.Int("rate", 1000, "requests per second")
	duration := flag.Duration("duration", 10*time.Second, "how long to send")
	connections := flag.Int("connections", 64, "keep-alive connections (one worker each)")
	header := flag.String("header", "", "a request header field as \"Name: value\"")
	flag.Parse()
	headerName, headerValue, hasHeader := strings.Cut(*header, ":")
	if *url == "" || *rate <= 0 || *connections <= 0 || (*header != "" && !hasHeader) {
		fmt.Fprintln(os.Stderr, "usage: openloop -url URL [-rate N] [-duration D] [-connections N] [-header \"Name: value\"]")
		os.Exit(2)
	}
	request, err := http.NewRequest(http.MethodGet, *url, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openloop: invalid URL:", err)
		os.Exit(2)
	}
	if hasHeader {
		request.Header.Set(strings.TrimSpace(headerName), strings.TrimSpace(headerValue))
	}

	total := int(float64(*rate) * duration.Seconds())
	scheduled := make(chan time.Time, total)
	results := make(chan sample, total)
	var workers sync.WaitGroup
	for i := 0; i < *connections; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}, Timeout: 10 * time.Second}
			for intended := range scheduled {
				response, err := client.Do(request.Clone(request.Context()))
				failed := err != nil
				if err == nil {
					_, err = io.Copy(io.Discard, response.Body)
					response.Body.Close()
					failed = err != nil || response.StatusCode != http.StatusOK
				}
				results <- sample{latency: time.Since(intended), failed: failed}
			}
		}()
	}

	start := time.Now()
	interval := time.Second / time.Duration(*rate)
	for i := 0; i < total; i++ {
		intended := start.Add(time.Duration(i) * interval)
		if wait := time.Until(intended); wait > 0 {
			time.Sleep(wait)
		}
		scheduled <- intended
	}
	close(scheduled)
	workers.Wait()
	elapsed := time.Since(start)
	close(results)

	latencies := make([]time.Duration, 0, total)
	errors := 0
	for result := range results {
		if result.failed {
			errors++
			continue
		}
		latencies = append(latencies, result.latency)
	}
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	percentile := func(p float64) int64 {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(p*float64(len(latencies)-1))].Microseconds()
	}
	fmt.Printf("requests %d errors %d rate %.0f p50_us %d p99_us %d\n",
		total, errors, float64(total)/elapsed.Seconds(), percentile(0.50), percentile(0.99))
}
