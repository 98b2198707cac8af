package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/report"
)

// maxEventBytes bounds one server-sent event line: a photo's result with pictures asked for
// can run to megabytes.
const maxEventBytes = 64 << 20

func newSubmitCmd(g *globalFlags) *cobra.Command {
	var (
		serverURL, key, apiKey, format string
		wait                           bool
	)
	cmd := &cobra.Command{
		Use:   "submit PATH... --server URL [--wait]",
		Short: "Queue photos (files or folders) as one job on a datalid server; --wait shows progress and prints the results",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := report.NewWriter(cmd.OutOrStdout(), format)
			if err != nil {
				return err
			}
			files, err := expandPaths(args)
			if err != nil {
				return err
			}
			if len(files) == 0 {
				return fmt.Errorf("no image files found in %v", args)
			}
			c := &jobClient{base: strings.TrimRight(serverURL, "/"), apiKey: apiKey}
			ctx := cmd.Context()
			job, err := c.submit(ctx, files, key)
			if err != nil {
				return err
			}
			if !wait {
				fmt.Fprintf(cmd.OutOrStdout(), "job %s: %d photos %s; follow %s%s\n", job.ID, job.Total, job.State, c.base, job.Links.Self)
				return nil
			}
			bar := newProgress(job.Total, "job "+job.ID[:8])
			done := 0
			final, err := c.follow(ctx, job.ID, func(j *api.JobResponse) {
				if f := j.Counts.Finished(); f > done {
					bar.Add(f - done)
					done = f
				}
			})
			bar.Finish()
			if err != nil {
				return err
			}
			return printJob(final, files, out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&serverURL, "server", "http://127.0.0.1:8000", "datalid server (or gateway) base URL")
	f.StringVar(&key, "idempotency-key", "", "Idempotency-Key: submitting again with the same key returns the first job")
	f.StringVar(&apiKey, "api-key", os.Getenv("DATALID_API_KEY"), "X-API-Key for servers that require one (env DATALID_API_KEY)")
	f.StringVar(&format, "format", "table", "output format with --wait: table, json, jsonl or csv")
	f.BoolVar(&wait, "wait", false, "follow the job's progress and print its results")
	return cmd
}

// printJob writes each photo as `datalid read` would, in submission order.
func printJob(j *api.JobResponse, files []string, out report.Writer) error {
	failed := 0
	for _, p := range j.Photos {
		row := report.Row{File: p.Filename}
		if p.Index < len(files) {
			row.File = files[p.Index]
		}
		if p.State == api.PhotoDone {
			r, err := p.Process()
			if err != nil {
				row.Err = err
			} else {
				row.Response = r
			}
		} else {
			row.Err = fmt.Errorf("%s: %s", p.State, p.Error)
		}
		if row.Err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "datalid: %s: %v\n", row.File, row.Err)
		}
		if err := out.Write(row); err != nil {
			return err
		}
	}
	if err := out.Close(); err != nil {
		return err
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "datalid: %d of %d photos were not read (job %s)\n", failed, len(j.Photos), j.ID)
		return errReported
	}
	return nil
}

// jobClient speaks /v2/jobs.
type jobClient struct {
	base, apiKey string
	http         http.Client
}

func (c *jobClient) do(req *http.Request, v any, want ...int) error {
	if c.apiKey != "" {
		req.Header.Set("X-API-Key", c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if !slices.Contains(want, resp.StatusCode) {
		var e api.ErrorResponse
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
			return fmt.Errorf("%s %s: %s (%s)", req.Method, req.URL.Path, e.Error.Message, resp.Status)
		}
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// submit streams the files as one multipart body, so a large folder never sits in memory.
func (c *jobClient) submit(ctx context.Context, files []string, key string) (*api.JobResponse, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, f := range files {
			fh, err := os.Open(f)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			err = api.WriteJobPhoto(mw, f, fh)
			fh.Close()
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/v2/jobs", pr)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if key != "" {
		req.Header.Set(api.IdempotencyHeader, key)
	}
	var job api.JobResponse
	req.Header.Set("Accept", "application/json")
	// 202 for a new job; 200 with the first job for a repeated Idempotency-Key.
	if err := c.do(req, &job, http.StatusAccepted, http.StatusOK); err != nil {
		return nil, err
	}
	return &job, nil
}

// follow reads the job's event stream until its "end" event, calling progress on each
// "progress" event; it returns the whole job.
func (c *jobClient) follow(ctx context.Context, id string, progress func(*api.JobResponse)) (*api.JobResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v2/jobs/"+id+"/events", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if c.apiKey != "" {
		req.Header.Set("X-API-Key", c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", req.URL.Path, resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), maxEventBytes)
	var event string
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[len("event: "):])
		case bytes.HasPrefix(line, []byte("data: ")):
			if event != "progress" && event != "end" {
				continue
			}
			var j api.JobResponse
			if err := json.Unmarshal(line[len("data: "):], &j); err != nil {
				return nil, fmt.Errorf("job events: %w", err)
			}
			progress(&j)
			if event == "end" {
				return &j, nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, errors.New("job events: the stream ended before the job did")
}
