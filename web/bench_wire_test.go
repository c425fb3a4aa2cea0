package web

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// wireConns is how many connections wireLoad keeps busy: issue 17's
// figures were taken with `wrk -t2 -c32`.
const wireConns = 32

// wireLoad loads h the way wrk does, as a benchmark: wireConns keep-alive
// HTTP/1.1 connections over loopback, each sending req (a whole request,
// written as it is) and reading the whole response before the next. The
// client does nothing else: no request is built and no header kept, the
// body is skipped by its length, so that the figure is, as far as it can
// be, the server's (net/http's client costs about as much again as a
// plain server answering). It reports req/s and the 99th percentile of
// the latencies, p99-ms.
func wireLoad(b *testing.B, h http.Handler, req string) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	addr := ts.Listener.Addr().String()
	raw := []byte(req)
	var lat latencies
	b.SetParallelism(max(1, wireConns/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		br := bufio.NewReaderSize(conn, 64<<10)
		var mine []time.Duration
		defer func() { lat.add(mine) }()
		for pb.Next() {
			start := time.Now()
			if _, err := conn.Write(raw); err != nil {
				b.Error(err)
				return
			}
			status, err := skipResponse(br)
			if err != nil || status != http.StatusOK {
				b.Errorf("status %d, %v", status, err)
				return
			}
			mine = append(mine, time.Since(start))
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(lat.quantile(0.99).Seconds()*1000, "p99-ms")
}

// wireGET is a GET request for wireLoad, with headers as name, value
// pairs.
func wireGET(path string, hdr ...string) string {
	s := "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	for i := 0; i+1 < len(hdr); i += 2 {
		s += hdr[i] + ": " + hdr[i+1] + "\r\n"
	}
	return s + "\r\n"
}

// skipResponse reads one response (its length from Content-Length or
// chunked encoding) and returns its status.
func skipResponse(br *bufio.Reader) (int, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 {
		return 0, errors.New("short status line")
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, err
	}
	length, chunked := -1, false
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(line) <= 2 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, err
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		}
	}
	if !chunked {
		if length < 0 {
			return 0, errors.New("no length")
		}
		_, err = br.Discard(length)
		return status, err
	}
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil {
			return 0, err
		}
		if n == 0 {
			_, err = br.Discard(2) // no trailers
			return status, err
		}
		if _, err := br.Discard(int(n) + 2); err != nil {
			return 0, err
		}
	}
}
