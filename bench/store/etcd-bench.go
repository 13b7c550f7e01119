// etcd-bench measures etcd with its own Go client (clientv3 over gRPC), the
// way etcd's users reach it, with the same workloads as stratus-store-bench:
// put throughput from 1 and from N clients, single-key range latency, watch
// latency from put to event, and lease keep-alive throughput. It prints one
// JSON object.
//
// Build (GOPATH mode, against Debian's golang-etcd-server-dev):
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o etcd-bench etcd-bench.go
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
)

type results struct {
	Store        string  `json:"store"`
	Put1         float64 `json:"put_1_per_s"`
	PutN         float64 `json:"put_n_per_s"`
	Clients      int     `json:"clients"`
	RangeP50     float64 `json:"range_p50_us"`
	RangeP99     float64 `json:"range_p99_us"`
	WatchP50     float64 `json:"watch_p50_us"`
	WatchP99     float64 `json:"watch_p99_us"`
	KeepAliveN   float64 `json:"keepalive_n_per_s"`
	ValueBytes   int     `json:"value_bytes"`
	DurationSecs float64 `json:"duration_s"`
}

func main() {
	endpoints := flag.String("endpoints", "127.0.0.1:2379", "comma-separated etcd client endpoints")
	clients := flag.Int("clients", 16, "concurrent clients for the N-client workloads")
	duration := flag.Duration("duration", 5*time.Second, "length of each throughput workload")
	samples := flag.Int("samples", 2000, "samples for each latency workload")
	valueBytes := flag.Int("value-bytes", 256, "size of each put value")
	flag.Parse()

	client, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(*endpoints, ","), DialTimeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd-bench: cannot connect:", err)
		os.Exit(1)
	}
	defer client.Close()
	value := strings.Repeat("v", *valueBytes)
	r := results{Store: "etcd (clientv3, gRPC)", Clients: *clients, ValueBytes: *valueBytes, DurationSecs: duration.Seconds()}
	r.Put1 = putThroughput(client, 1, *duration, value)
	r.PutN = putThroughput(client, *clients, *duration, value)
	r.RangeP50, r.RangeP99 = rangeLatency(client, *samples)
	r.WatchP50, r.WatchP99 = watchLatency(client, *samples)
	r.KeepAliveN = keepAliveThroughput(client, *clients, *duration)
	json.NewEncoder(os.Stdout).Encode(r)
}

// putThroughput runs `clients` loops of puts over 1,000 keys each for `duration`.
func putThroughput(client *clientv3.Client, clients int, duration time.Duration, value string) float64 {
	var done int64
	deadline := time.Now().Add(duration)
	var wait sync.WaitGroup
	for c := 0; c < clients; c++ {
		wait.Add(1)
		go func(c int) {
			defer wait.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				key := fmt.Sprintf("bench/put/%d/%d", c, i%1000)
				if _, err := client.Put(context.Background(), key, value); err != nil {
					fmt.Fprintln(os.Stderr, "put failed:", err)
					os.Exit(1)
				}
				atomic.AddInt64(&done, 1)
			}
		}(c)
	}
	wait.Wait()
	return float64(done) / duration.Seconds()
}

// rangeLatency reads one key `samples` times in a row.
func rangeLatency(client *clientv3.Client, samples int) (float64, float64) {
	client.Put(context.Background(), "bench/range", "value")
	latencies := make([]time.Duration, 0, samples)
	for i := 0; i < samples; i++ {
		start := time.Now()
		if _, err := client.Get(context.Background(), "bench/range"); err != nil {
			fmt.Fprintln(os.Stderr, "range failed:", err)
			os.Exit(1)
		}
		latencies = append(latencies, time.Since(start))
	}
	return percentiles(latencies)
}

// watchLatency puts `samples` keys one after another, each value carrying its
// start time, and measures until the watch delivers each.
func watchLatency(client *clientv3.Client, samples int) (float64, float64) {
	base := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := client.Watch(ctx, "bench/watch/", clientv3.WithPrefix())
	latencies := make(chan time.Duration, samples)
	go func() {
		for response := range events {
			for _, event := range response.Events {
				sent, _ := strconv.ParseInt(string(event.Kv.Value), 10, 64)
				latencies <- time.Since(base) - time.Duration(sent)
			}
		}
	}()
	time.Sleep(100 * time.Millisecond) // let the watch register before the first put
	collected := make([]time.Duration, 0, samples)
	for i := 0; i < samples; i++ {
		sent := strconv.FormatInt(int64(time.Since(base)), 10)
		if _, err := client.Put(context.Background(), fmt.Sprintf("bench/watch/%d", i%100), sent); err != nil {
			fmt.Fprintln(os.Stderr, "put failed:", err)
			os.Exit(1)
		}
		collected = append(collected, <-latencies)
	}
	return percentiles(collected)
}

// keepAliveThroughput renews `clients` leases in parallel loops for `duration`.
func keepAliveThroughput(client *clientv3.Client, clients int, duration time.Duration) float64 {
	var done int64
	deadline := time.Now().Add(duration)
	var wait sync.WaitGroup
	for c := 0; c < clients; c++ {
		lease, err := client.Grant(context.Background(), 60)
		if err != nil {
			fmt.Fprintln(os.Stderr, "grant failed:", err)
			os.Exit(1)
		}
		wait.Add(1)
		go func(id clientv3.LeaseID) {
			defer wait.Done()
			for time.Now().Before(deadline) {
				if _, err := client.KeepAliveOnce(context.Background(), id); err != nil {
					fmt.Fprintln(os.Stderr, "keep-alive failed:", err)
					os.Exit(1)
				}
				atomic.AddInt64(&done, 1)
			}
		}(lease.ID)
	}
	wait.Wait()
	return float64(done) / duration.Seconds()
}

func percentiles(latencies []time.Duration) (float64, float64) {
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	at := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds())
	}
	return at(0.50), at(0.99)
}
