// A real Go service for pprofx's fetch and cross tests: it serves
// net/http/pprof on 127.0.0.1 over HTTP and HTTPS (free ports, printed on stdout) while busy
// goroutines burn CPU, allocate, and contend for a lock and a channel, each in
// a function of its own name. Extra endpoints play misbehaving servers.
package main

import (
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync"
	"time"
)

var sink []byte
var mu sync.Mutex
var shared [32]byte

//go:noinline
func hashLoop(n int) {
	b := []byte("pprofx")
	for i := 0; i < n; i++ {
		s := sha256.Sum256(b)
		b = s[:]
	}
	copy(shared[:], b)
}

//go:noinline
func allocLoop(n int) {
	for i := 0; i < n; i++ {
		sink = make([]byte, 4096+i%512)
	}
}

// lockHolder hashes while holding mu: the others wait (mutex profile, block
// profile) and the hashing shows in the CPU profile too.
//go:noinline
func lockHolder() {
	mu.Lock()
	hashLoop(2000)
	sink = make([]byte, 1<<16)
	mu.Unlock()
}

//go:noinline
func chanWaiter(c chan int) {
	<-c
}

// selfSigned makes a certificate for 127.0.0.1 that no client trusts.
func selfSigned() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func main() {
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)
	runtime.MemProfileRate = 4096
	for i := 0; i < 2; i++ {
		go func() {
			for {
				hashLoop(20000)
				allocLoop(200)
			}
		}()
	}
	for i := 0; i < 4; i++ {
		go func() {
			for {
				lockHolder()
			}
		}()
	}
	c := make(chan int)
	go func() {
		for {
			time.Sleep(time.Millisecond)
			c <- 1
		}
	}()
	go func() {
		for {
			chanWaiter(c)
		}
	}()

	http.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>Welcome</body></html>")
	})
	http.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(30 * time.Second)
	})
	http.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte{0xff, 0xfe, 0x01, 0x02, 0x03})
	})
	// Bodies that never end: zeros as they are, and gzip data of zeros (about 1000:1).
	// With ?valid=1 they start as a profile may (a string-table entry of 4 GiB),
	// so that only the size cap stops them; zeros alone are refused at byte 0.
	validStart := []byte{0x32, 0x80, 0x80, 0x80, 0x80, 0x10}
	http.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		zeros := make([]byte, 1<<16)
		if r.URL.Query().Get("valid") == "1" {
			w.Write(validStart)
		}
		for {
			if _, err := w.Write(zeros); err != nil {
				return
			}
		}
	})
	http.HandleFunc("/endless-gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		z := gzip.NewWriter(w)
		zeros := make([]byte, 1<<16)
		if r.URL.Query().Get("valid") == "1" {
			z.Write(validStart)
		}
		for {
			if _, err := z.Write(zeros); err != nil {
				return
			}
		}
	})
	// A redirect to the URL in ?to= (ftp://, file://, ...).
	http.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tlsLn, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{selfSigned()}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Two lines: the HTTP port, then the HTTPS one (self-signed certificate).
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	fmt.Println(tlsLn.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	go http.Serve(tlsLn, nil)
	http.Serve(ln, nil)
}
