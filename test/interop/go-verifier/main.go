// Command go-verifier checks a Flowguard log over HTTP with Go's own transparency-log code
// (golang.org/x/mod/sumdb/note and sumdb/tlog, as Debian packages them), not Flowguard's:
//
//   - the checkpoint at <url>/checkpoint is signed by the given verifier key (note.Open);
//   - random entries (or all of them) are in the tree: each entry's leaf data is read from its
//     C2SP entry bundle, hashed with tlog.RecordHash and checked with tlog.CheckRecord against a
//     proof built from the log's tiles through tlog.TileHashReader (which authenticates every
//     tile against the checkpoint's root);
//   - with -previous, the checkpoint is consistent with an earlier one (tlog.CheckTree).
//
// It exits 0 with one "OK" line, or 1 with the first failure on stderr.
//
// Usage:
//
//	go-verifier -url http://127.0.0.1:8080/log -key <verifier key> [-entries 8] [-seed 1]
//	            [-previous old-checkpoint.txt] [-save checkpoint.txt]
//
// Build offline from Debian's golang-go and golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=$(mktemp -d):/usr/share/gocode go build -o go-verifier .
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tileHeight is C2SP tlog-tiles' fixed tile height: 256 hashes per tile.
const tileHeight = 8

func main() {
	url := flag.String("url", "", "log prefix URL, serving checkpoint and tile/ (e.g. http://127.0.0.1:8080/log)")
	key := flag.String("key", "", "the log's verifier key <name>+<id>+<base64>")
	origin := flag.String("origin", "", "expected checkpoint origin (default: the key name)")
	entries := flag.Int64("entries", 8, "random entries to check for inclusion (all if at least the tree size)")
	seed := flag.Int64("seed", time.Now().UnixNano(), "seed for choosing entries")
	previous := flag.String("previous", "", "file holding an earlier signed checkpoint to check consistency with")
	save := flag.String("save", "", "write the verified checkpoint to this file")
	flag.Parse()
	if *url == "" || *key == "" {
		fail(errors.New("-url and -key are required"))
	}
	if err := run(strings.TrimRight(*url, "/"), *key, *origin, *entries, *seed, *previous, *save); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
	os.Exit(1)
}

func run(base, key, origin string, entries, seed int64, previousFile, saveFile string) error {
	verifier, err := note.NewVerifier(key)
	if err != nil {
		return fmt.Errorf("verifier key: %v", err)
	}
	if origin == "" {
		origin = verifier.Name()
	}
	verifiers := note.VerifierList(verifier)
	client := &http.Client{Timeout: 30 * time.Second}

	msg, err := fetch(client, base+"/checkpoint")
	if err != nil {
		return err
	}
	tree, err := openCheckpoint(msg, verifiers, origin)
	if err != nil {
		return fmt.Errorf("checkpoint: %v", err)
	}

	tiles := &tileReader{client: client, base: base, cache: map[string][]byte{}}
	hashes := tlog.TileHashReader(tree, tiles)

	checked, err := checkEntries(client, base, tree, hashes, entries, seed)
	if err != nil {
		return err
	}

	consistency := ""
	if previousFile != "" {
		old, err := os.ReadFile(previousFile)
		if err != nil {
			return err
		}
		oldTree, err := openCheckpoint(old, verifiers, origin)
		if err != nil {
			return fmt.Errorf("previous checkpoint: %v", err)
		}
		if err := checkConsistency(oldTree, tree, hashes); err != nil {
			return err
		}
		consistency = fmt.Sprintf("; consistent with size %d", oldTree.N)
	}

	if saveFile != "" {
		if err := os.WriteFile(saveFile, msg, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("OK: %s size %d root %s; %d entries included%s\n", origin, tree.N, tree.Hash, checked, consistency)
	return nil
}

// openCheckpoint verifies the signed note and parses the C2SP tlog-checkpoint body. tlog.ParseTree
// cannot be used: it expects the "go.sum database tree" header of Go's checksum database.
func openCheckpoint(msg []byte, verifiers note.Verifiers, origin string) (tlog.Tree, error) {
	n, err := note.Open(msg, verifiers)
	if err != nil {
		return tlog.Tree{}, err
	}
	lines := strings.Split(n.Text, "\n")
	// origin, size, root hash, then the empty string after the final newline (extension lines allowed).
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return tlog.Tree{}, fmt.Errorf("body is not <origin>\\n<size>\\n<root>\\n: %q", n.Text)
	}
	if lines[0] != origin {
		return tlog.Tree{}, fmt.Errorf("origin %q, expected %q", lines[0], origin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return tlog.Tree{}, fmt.Errorf("tree size %q is not a canonical decimal", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return tlog.Tree{}, fmt.Errorf("root hash %q is not 32 bytes of base64", lines[2])
	}
	var hash tlog.Hash
	copy(hash[:], root)
	return tlog.Tree{N: size, Hash: hash}, nil
}

// checkEntries checks inclusion of `count` random entries (every entry if count >= tree size).
func checkEntries(client *http.Client, base string, tree tlog.Tree, hashes tlog.HashReader, count, seed int64) (int64, error) {
	if tree.N == 0 {
		return 0, nil
	}
	var indexes []int64
	if count >= tree.N {
		for i := int64(0); i < tree.N; i++ {
			indexes = append(indexes, i)
		}
	} else {
		r := rand.New(rand.NewSource(seed))
		for i := int64(0); i < count; i++ {
			indexes = append(indexes, r.Int63n(tree.N))
		}
	}
	bundles := map[int64][][]byte{}
	for _, index := range indexes {
		bundle, ok := bundles[index/256]
		if !ok {
			var err error
			if bundle, err = fetchBundle(client, base, tree.N, index/256); err != nil {
				return 0, err
			}
			bundles[index/256] = bundle
		}
		leaf := tlog.RecordHash(bundle[index%256])
		proof, err := tlog.ProveRecord(tree.N, index, hashes)
		if err != nil {
			return 0, fmt.Errorf("entry %d: building the inclusion proof from tiles: %v", index, err)
		}
		if err := tlog.CheckRecord(proof, tree.N, tree.Hash, index, leaf); err != nil {
			return 0, fmt.Errorf("entry %d: inclusion proof does not verify: %v", index, err)
		}
	}
	return int64(len(indexes)), nil
}

// fetchBundle reads entry bundle n of a tree of the given size: big-endian uint16 length ‖ data,
// once per entry, exactly as many entries as the bundle's width.
func fetchBundle(client *http.Client, base string, size, n int64) ([][]byte, error) {
	width := int64(256)
	if n == size/256 {
		width = size % 256
	}
	path := strings.Replace(tlog.Tile{H: tileHeight, L: 0, N: n, W: int(width)}.Path(), "tile/8/0/", "tile/entries/", 1)
	data, err := fetch(client, base+"/"+path)
	if err != nil {
		return nil, err
	}
	var entries [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, fmt.Errorf("%s: truncated entry length", path)
		}
		length := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+length {
			return nil, fmt.Errorf("%s: entry %d claims %d bytes past the end", path, len(entries), length)
		}
		entries = append(entries, data[2:2+length])
		data = data[2+length:]
	}
	if int64(len(entries)) != width {
		return nil, fmt.Errorf("%s: %d entries, expected %d", path, len(entries), width)
	}
	return entries, nil
}

// checkConsistency proves with tiles of the newer tree that it extends the older one.
func checkConsistency(old, cur tlog.Tree, hashes tlog.HashReader) error {
	if old.N > cur.N {
		return fmt.Errorf("the log went back from size %d to %d", old.N, cur.N)
	}
	if old.N == cur.N {
		if old.Hash != cur.Hash {
			return fmt.Errorf("two different roots for size %d: %s and %s", cur.N, old.Hash, cur.Hash)
		}
		return nil
	}
	if old.N == 0 {
		// x/mod 0.7.0's TreeHash(0) returns zeros, not SHA-256(""); check the empty root directly.
		if old.Hash != tlog.Hash(sha256.Sum256(nil)) {
			return fmt.Errorf("size 0 checkpoint with a root other than SHA-256(\"\")")
		}
		return nil
	}
	proof, err := tlog.ProveTree(cur.N, old.N, hashes)
	if err != nil {
		return fmt.Errorf("building the consistency proof %d -> %d from tiles: %v", old.N, cur.N, err)
	}
	if err := tlog.CheckTree(proof, cur.N, cur.Hash, old.N, old.Hash); err != nil {
		return fmt.Errorf("consistency %d -> %d does not verify: %v", old.N, cur.N, err)
	}
	return nil
}

// tileReader serves tlog.TileHashReader from C2SP tiles over HTTP. Go names tiles with their
// height, tile/8/<L>/<N>; C2SP tlog-tiles omits it, tile/<L>/<N>. The bytes are the same.
type tileReader struct {
	client *http.Client
	base   string
	cache  map[string][]byte
}

func (r *tileReader) Height() int { return tileHeight }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		path := "tile/" + strings.TrimPrefix(t.Path(), "tile/8/")
		data, ok := r.cache[path]
		if !ok {
			var err error
			if data, err = fetch(r.client, r.base+"/"+path); err != nil {
				return nil, err
			}
			if len(data) != t.W*tlog.HashSize {
				return nil, fmt.Errorf("%s: %d bytes, expected %d", path, len(data), t.W*tlog.HashSize)
			}
			r.cache[path] = data
		}
		out[i] = data
	}
	return out, nil
}

func (r *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

func fetch(client *http.Client, url string) ([]byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d: %s", url, resp.StatusCode, bytes.TrimSpace(body))
	}
	return body, nil
}
