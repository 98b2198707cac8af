package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/bench"
	"github.com/datalid/datalid/internal/synth"
)

// newProbeCmd is the hostile-client probe of issue 9 at full scale, run by `make hostile`: it
// starts `datalid serve` (production preset) as a child process, attacks it the way the
// original probe did, and prints each Done-when figure. Too long for `make test`; the same
// findings at small scale are tests in internal/server and cmd/datalid.
func newProbeCmd(g *globalFlags) *cobra.Command {
	var only, serverBin, arenas string
	var loadFor time.Duration
	cmd := &cobra.Command{
		Use:    "probe",
		Short:  "Hostile-client scenarios against a child datalid serve",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := os.MkdirTemp("", "datalid-probe-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			if err := synth.WriteSet(dir, 4, 11, 1280, 960); err != nil {
				return err
			}
			p := &prober{dir: dir, out: cmd.OutOrStdout(), loadFor: loadFor, serverBin: serverBin, arenas: strings.Split(arenas, ",")}
			scen := map[string]func(context.Context) error{
				"slow": p.slow, "bomb": p.bomb, "plain": p.plain, "recover": p.recover, "cli": p.cli,
			}
			for _, name := range []string{"cli", "slow", "bomb", "plain", "recover"} {
				if only != "" && !strings.Contains(","+only+",", ","+name+",") {
					continue
				}
				fmt.Fprintf(p.out, "== %s\n", name)
				if err := scen[name](cmd.Context()); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&only, "only", "", "comma-separated scenarios: cli, slow, bomb, plain, recover")
	cmd.Flags().DurationVar(&loadFor, "load-for", 60*time.Second, "length of the 2x load in the recover scenario")
	cmd.Flags().StringVar(&serverBin, "server-bin", "", "datalid binary to serve with (default: this one), to compare two builds under the same probe")
	cmd.Flags().StringVar(&arenas, "arenas", "true,false", "runtime.cpu_mem_arena settings the recover scenario runs with")
	return cmd
}

type prober struct {
	dir       string
	out       io.Writer
	loadFor   time.Duration
	serverBin string
	arenas    []string
}

func (p *prober) photo() []byte {
	b, _ := os.ReadFile(filepath.Join(p.dir, "synth_0001.jpg"))
	return b
}

// child is a datalid serve process.
type child struct {
	cmd  *exec.Cmd
	addr string
	done chan error
}

func (p *prober) serve(ctx context.Context, env ...string) (*child, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if p.serverBin != "" {
		exe = p.serverBin
	}
	c := &child{cmd: exec.Command(exe, "serve", "--preset", "production", "--addr", addr), addr: addr, done: make(chan error, 1)}
	c.cmd.Env = append(append(os.Environ(), "DATALID_LOG_LEVEL=warn"), env...)
	c.cmd.Stderr = io.Discard
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { c.done <- c.cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/readiness"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return c, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.cmd.Process.Kill()
	return nil, errors.New("server never became ready")
}

// stop sends SIGTERM and reports how long the exit took and its status.
func (c *child) stop() (time.Duration, int) {
	t0 := time.Now()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(90 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
	return time.Since(t0), c.cmd.ProcessState.ExitCode()
}

// rss reads the child's resident and peak resident memory in MB.
func (c *child) rss() (cur, peak float64) { return procRSS(c.cmd.Process.Pid) }

// procRSS reads a process's resident and peak resident memory in MB (Linux /proc).
func procRSS(pid int) (cur, peak float64) {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 {
			v, _ := strconv.ParseFloat(f[1], 64)
			switch f[0] {
			case "VmRSS:":
				cur = v / 1024
			case "VmHWM:":
				peak = v / 1024
			}
		}
	}
	return
}

// resetPeak makes VmHWM start again from the current RSS (Linux clear_refs 5).
func (c *child) resetPeak() {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", c.cmd.Process.Pid), []byte("5"), 0)
}

func (c *child) post(client *http.Client, photo []byte, fields map[string]string) (int, error) {
	body, ct := api.ProcessForm(photo, fields)
	req, _ := http.NewRequest(http.MethodPost, "http://"+c.addr+"/process", body)
	req.Header.Set("Content-Type", ct)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// slow: 40 connections sending their body a byte every 2 s and 4 clients that never read a
// large batch answer, while a normal client keeps posting; then SIGTERM.
func (p *prober) slow(ctx context.Context) error {
	c, err := p.serve(ctx)
	if err != nil {
		return err
	}
	photo := p.photo()
	body, ct := api.ProcessForm(photo, nil)
	head := fmt.Appendf(nil, "POST /process HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", ct, body.Len())
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			for { // reconnect when cut, as the probe's attacker did
				conn, err := net.Dial("tcp", c.addr)
				if err != nil {
					return
				}
				conn.Write(head)
				tk := time.NewTicker(2 * time.Second)
			loop:
				for {
					select {
					case <-stop:
						tk.Stop()
						conn.Close()
						return
					case <-tk.C:
						if _, err := conn.Write([]byte{'-'}); err != nil {
							break loop
						}
					}
				}
				tk.Stop()
				conn.Close()
			}
		})
	}
	// The same normal client alone first, so the figure below has its reference in the same run.
	client := &http.Client{Timeout: 60 * time.Second}
	aloneOK, aloneTotal, _ := p.normalClient(c, client, photo, 30*time.Second)
	fmt.Fprintf(p.out, "normal client alone: %d/%d answers 200 (%.0f %%)\n", aloneOK, aloneTotal, 100*float64(aloneOK)/float64(max(1, aloneTotal)))
	// Non-readers: a batch of 2 photos with every picture, an answer of about a MB each.
	var files [][]byte
	for range 2 {
		files = append(files, photo)
	}
	bb, bct := batchForm(files, map[string]string{"return_visualization": "true", "return_crops": "true", "return_crop_images": "true"})
	breq := fmt.Appendf(nil, "POST /process/batch HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", bct, len(bb), bb)
	var nonReaders []net.Conn
	for range 4 {
		conn, err := net.Dial("tcp", c.addr)
		if err == nil {
			conn.(*net.TCPConn).SetReadBuffer(4 << 10)
			go conn.Write(breq)
			nonReaders = append(nonReaders, conn)
		}
	}
	time.Sleep(3 * time.Second)
	ok, total, statuses := p.normalClient(c, client, photo, 30*time.Second)
	_, peak := c.rss()
	fmt.Fprintf(p.out, "normal client beside 40 slow-body connections + 4 non-readers: %d/%d answers 200 (%.0f %%), statuses %v, peak RSS %.0f MB\n",
		ok, total, 100*float64(ok)/float64(max(1, total)), statuses, peak)
	// SIGTERM with the slow uploaders and non-readers still connected.
	d, code := c.stop()
	fmt.Fprintf(p.out, "SIGTERM with slow uploads and unread answers pending: exit %d after %v (grace: request_timeout 30s + 5s)\n", code, d.Round(time.Millisecond))
	close(stop)
	for _, n := range nonReaders {
		n.Close()
	}
	wg.Wait()
	return nil
}

// normalClient posts photo in a closed loop for d.
func (p *prober) normalClient(c *child, client *http.Client, photo []byte, d time.Duration) (ok, total int, statuses map[string]int) {
	statuses = map[string]int{}
	t0 := time.Now()
	for time.Since(t0) < d {
		st, err := c.post(client, photo, nil)
		total++
		if err != nil {
			statuses["error: "+err.Error()]++
			time.Sleep(100 * time.Millisecond)
			continue
		}
		statuses[strconv.Itoa(st)]++
		if st == 200 {
			ok++
		}
	}
	return ok, total, statuses
}

func batchForm(files [][]byte, fields map[string]string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i, f := range files {
		w, _ := mw.CreateFormFile("files", fmt.Sprintf("p%d.jpg", i))
		w.Write(f)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// zeroPNG16 is the probe's bomb: w×h, 16 bits per sample RGBA, all zeros, a few hundred KB.
func zeroPNG16(w, h int) []byte {
	chunk := func(typ string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, 0)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+w*8)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	b := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	b = append(b, chunk("IDAT", z.Bytes())...)
	return append(b, chunk("IEND", nil)...)
}

// bomb: the 16-bit 7000×7000 PNG, once and eight at once, with return_visualization.
func (p *prober) bomb(ctx context.Context) error {
	c, err := p.serve(ctx)
	if err != nil {
		return err
	}
	defer c.stop()
	bomb := zeroPNG16(7000, 7000)
	client := &http.Client{Timeout: 2 * time.Minute}
	c.post(client, p.photo(), nil) // warm
	for _, n := range []int{1, 8} {
		time.Sleep(7 * time.Second) // let the idle trim run
		base, _ := c.rss()
		c.resetPeak()
		var wg sync.WaitGroup
		var codes sync.Map
		for range n {
			wg.Go(func() {
				st, err := c.post(client, bomb, map[string]string{"return_visualization": "true"})
				codes.Store(fmt.Sprint(st, err), true)
			})
		}
		wg.Wait()
		_, peak := c.rss()
		var got []string
		codes.Range(func(k, _ any) bool { got = append(got, k.(string)); return true })
		fmt.Fprintf(p.out, "%d × 16-bit 7000x7000 PNG (%d KB): statuses %v, RSS %.0f MB before, peak %.0f MB: +%.0f MB\n",
			n, len(bomb)>>10, got, base, peak, peak-base)
	}
	return nil
}

// plain: 80 clients (2× the production capacity of 8 + 32) posting with Connection: close.
func (p *prober) plain(ctx context.Context) error {
	c, err := p.serve(ctx)
	if err != nil {
		return err
	}
	defer c.stop()
	body, ct := api.ProcessForm(p.photo(), nil)
	req := fmt.Appendf(nil, "POST /process HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", ct, body.Len(), body.Bytes())
	var (
		mu       sync.Mutex
		statuses = map[string]int{}
		noRetry  atomic.Int64
	)
	stop := time.Now().Add(30 * time.Second)
	var wg sync.WaitGroup
	for range 80 {
		wg.Go(func() {
			for time.Now().Before(stop) {
				key, retry := plainOnce(c.addr, req)
				if (key == "503" || key == "429") && !retry {
					noRetry.Add(1)
				}
				mu.Lock()
				statuses[key]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	fmt.Fprintf(p.out, "80 plain clients, Connection: close, 30 s: %v; 503/429 without Retry-After: %d\n", statuses, noRetry.Load())
	return nil
}

// plainOnce sends one request at once and reads the answer; transport failures are keyed by
// their kind (reset, EOF).
func plainOnce(addr string, req []byte) (string, bool) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "dial error", false
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	if _, err := conn.Write(req); err != nil {
		return netKind("write", err), false
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return netKind("read", err), false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return strconv.Itoa(resp.StatusCode), resp.Header.Get("Retry-After") != ""
}

func netKind(op string, err error) string {
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return op + ": reset"
	case errors.Is(err, syscall.EPIPE):
		return op + ": broken pipe"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return op + ": EOF"
	}
	return op + ": " + err.Error()
}

// recover: warm baseline, 2× load for loadFor, then RSS 30 s later; with ORT's CPU arena on
// (the production preset) and off, side by side, to show what the arena keeps.
func (p *prober) recover(ctx context.Context) error {
	for _, arena := range p.arenas {
		fmt.Fprintf(p.out, "runtime.cpu_mem_arena=%s: ", arena)
		if err := p.recoverOnce(ctx, "DATALID_RUNTIME_CPU_MEM_ARENA="+arena); err != nil {
			return err
		}
	}
	return nil
}

// goHeap is the child's Go heap held from the system (sys − released), in MB, from /metrics.
func (c *child) goHeap() float64 {
	resp, err := http.Get("http://" + c.addr + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var sys, rel float64
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) == 2 {
			v, _ := strconv.ParseFloat(f[1], 64)
			switch f[0] {
			case "go_memstats_heap_sys_bytes":
				sys = v
			case "go_memstats_heap_released_bytes":
				rel = v
			}
		}
	}
	return (sys - rel) / (1 << 20)
}

func (p *prober) recoverOnce(ctx context.Context, env string) error {
	c, err := p.serve(ctx, env)
	if err != nil {
		return err
	}
	defer c.stop()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 80}}
	var photos [][]byte
	for i := 1; i <= 4; i++ {
		b, _ := os.ReadFile(filepath.Join(p.dir, fmt.Sprintf("synth_%04d.jpg", i)))
		photos = append(photos, b)
	}
	// Each post carries fresh trailing bytes: the production preset's result cache would
	// otherwise answer all but the first four, and the load would never reach the runtime.
	fresh := func(ph []byte) []byte { return bench.Fresh([]bench.Input{{Data: ph}})[0].Data }
	for _, ph := range photos {
		c.post(client, fresh(ph), nil)
	}
	time.Sleep(7 * time.Second)
	base, _ := c.rss()
	baseHeap := c.goHeap()
	var mu sync.Mutex
	statuses := map[string]int{}
	var timeouts []string // when each 504 arrived: at cold start (the prior) or later (the average)
	t0 := time.Now()
	stop := t0.Add(p.loadFor)
	var wg sync.WaitGroup
	for i := range 80 {
		wg.Go(func() {
			for n := i; time.Now().Before(stop); n++ {
				st, err := c.post(client, fresh(photos[n%len(photos)]), map[string]string{"return_visualization": strconv.FormatBool(n%3 == 0)})
				k := strconv.Itoa(st)
				if err != nil {
					k = "error"
				}
				mu.Lock()
				statuses[k]++
				if st == http.StatusGatewayTimeout {
					timeouts = append(timeouts, fmt.Sprintf("%.0fs", time.Since(t0).Seconds()))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	loaded, peak := c.rss()
	// RSS every 5 s after the load, so a figure 30 s later shows whether memory came back
	// late, partly, or came back and grew again.
	var trace []string
	for range 6 {
		time.Sleep(5 * time.Second)
		cur, _ := c.rss()
		trace = append(trace, fmt.Sprintf("%.0f", cur))
	}
	after, _ := c.rss()
	fmt.Fprintf(p.out, "2x load (80 clients) for %v: %v; RSS baseline %.0f MB (Go heap %.0f), at the end %.0f MB (peak %.0f), every 5 s after [%s], 30 s later %.0f MB (Go heap %.0f) = %.2fx baseline\n",
		p.loadFor, statuses, base, baseHeap, loaded, peak, strings.Join(trace, " "), after, c.goHeap(), after/base)
	if len(timeouts) > 0 {
		fmt.Fprintf(p.out, "  504s arrived at %s after the load began\n", strings.Join(timeouts, " "))
	}
	return nil
}

// cli: datalid read over /dev/zero and a FIFO named *.jpg, an unreadable subfolder and a
// missing argument beside good photos, as an unprivileged user when run as root (root reads
// mode-000 folders).
func (p *prober) cli(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "datalid-cli-probe-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	if err := synth.WriteSet(dir, 3, 5, 1280, 960); err != nil {
		return err
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.jpg"))
	syscall.Mkfifo(filepath.Join(dir, "fifo.jpg"), 0o644)
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o755)
	os.WriteFile(filepath.Join(locked, "x.jpg"), []byte("x"), 0o644)
	os.Chmod(locked, 0)
	defer os.Chmod(locked, 0o755)
	exe, _ := os.Executable()
	cmd := exec.CommandContext(ctx, exe, "read", "--format", "jsonl", filepath.Join(dir, "missing.jpg"), dir)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err = cmd.Run()
	d := time.Since(t0)
	var ru *syscall.Rusage
	if cmd.ProcessState != nil {
		ru, _ = cmd.ProcessState.SysUsage().(*syscall.Rusage)
	}
	good := strings.Count(stdout.String(), `"status":"success"`) + strings.Count(stdout.String(), `"status":"failed"`) + strings.Count(stdout.String(), `"status":"partial"`)
	fmt.Fprintf(p.out, "datalid read: exit %d after %v, %d good photos read of 3, max RSS %d MB\nstderr:\n%s",
		cmd.ProcessState.ExitCode(), d.Round(time.Millisecond), good, maxRSS(ru), stderr.String())
	_ = err
	return nil
}

func maxRSS(ru *syscall.Rusage) int64 {
	if ru == nil {
		return -1
	}
	return ru.Maxrss / 1024
}
