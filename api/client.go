package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
)

// ProcessForm is the multipart body of a POST /process request: the photo as field "file"
// plus option fields, as Datalid's front end sends it.
func ProcessForm(photo []byte, fields map[string]string) (body *bytes.Buffer, contentType string) {
	body = &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	w, _ := mw.CreateFormFile("file", "photo.jpg") // writes to memory: cannot fail
	w.Write(photo)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return body, mw.FormDataContentType()
}

// maxProcessReply bounds the answer PostProcess reads: a response with every picture of a
// photo at the server's 10 MiB upload limit runs to a few MiB.
const maxProcessReply = 64 << 20

// ProcessReply is a POST /process answer as received.
type ProcessReply struct {
	Status int
	Header http.Header
	Body   []byte
}

// PostProcess sends photo to baseURL's POST /process as ProcessForm, with X-API-Key when
// apiKey is set (c nil = http.DefaultClient): the one request builder for the CLI, the
// benchmarks and tests. The error is a transport error; every HTTP status is a reply.
func PostProcess(ctx context.Context, c *http.Client, baseURL, apiKey string, photo []byte, fields map[string]string) (ProcessReply, error) {
	body, ctype := ProcessForm(photo, fields)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+"/process", body)
	if err != nil {
		return ProcessReply{}, err
	}
	req.Header.Set("Content-Type", ctype)
	if apiKey != "" {
		req.Header.Set("X-API-Key", apiKey)
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return ProcessReply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxProcessReply))
	return ProcessReply{Status: resp.StatusCode, Header: resp.Header, Body: b}, err
}

// Response decodes a 2xx reply; any other status is an error carrying the body's first bytes.
func (r ProcessReply) Response() (*ProcessImageResponse, error) {
	if r.Status/100 != 2 {
		return nil, fmt.Errorf("server answered %d %s: %.200s", r.Status, http.StatusText(r.Status), r.Body)
	}
	var p ProcessImageResponse
	if err := json.Unmarshal(r.Body, &p); err != nil {
		return nil, fmt.Errorf("server response: %w", err)
	}
	return &p, nil
}
