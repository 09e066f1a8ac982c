// Command ferretdb-dev runs FerretDB v1 (SQLite backend) as a MongoDB-wire-protocol server for the
// local dev stack (tools/dev-stack). It embeds github.com/FerretDB/FerretDB/ferretdb instead of
// building .../cmd/ferretdb, whose binary panics at start when built from the module zip
// (build/version/version.txt is generated and not shipped).
//
// Build: CGO_ENABLED=0 go build -o <cache>/ferretdb-dev .
// Run:   ferretdb-dev -listen-addr 127.0.0.1:27017 -dir <data dir>
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27017", "TCP listen address (keep it on loopback)")
	dir := flag.String("dir", "./ferret-data", "SQLite directory (one .sqlite file per database)")
	mem := flag.Bool("memory", false, "keep SQLite databases in memory (dir must still exist)")
	flag.Parse()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		log.Fatal(err)
	}
	uri := "file:" + abs + "/"
	if *mem {
		uri += "?mode=memory"
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Handler:   "sqlite",
		SQLiteURL: uri,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log.Printf("FerretDB listening: %s (sqlite %s)", f.MongoDBURI(), uri)
	if err = f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
