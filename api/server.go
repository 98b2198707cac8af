package api

// BatchImageResult is one file of a batch: its response, or why it could not be read.
type BatchImageResult struct {
	Filename string                `json:"filename"`
	Success  bool                  `json:"success"`
	Result   *ProcessImageResponse `json:"result"`
	Error    *string               `json:"error"`
}

// BatchProcessResponse is the result of POST /process/batch (Datalid's shape).
type BatchProcessResponse struct {
	Status      string             `json:"status"` // success: all read; partial: some; failed: none
	TotalImages int                `json:"total_images"`
	Successful  int                `json:"successful"`
	Failed      int                `json:"failed"`
	Results     []BatchImageResult `json:"results"`
	TotalTime   float64            `json:"total_time"` // seconds
	ProcessedAt string             `json:"processed_at"`
	RequestID   *string            `json:"request_id"`
}

// ErrorResponse is the one error envelope every failed request gets (Datalid's middleware
// shape). Error.Code is stable; clients switch on it, never on Message.
type ErrorResponse struct {
	Status    string      `json:"status"` // always "error"
	Error     ErrorDetail `json:"error"`
	Timestamp string      `json:"timestamp"`
	RequestID *string     `json:"request_id"`
}

// ErrorDetail says what went wrong.
type ErrorDetail struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

// Stable error codes of ErrorDetail.Code.
const (
	CodeValidation       = "VALIDATION_ERROR"      // 400/422: a bad form field or option
	CodeInvalidImage     = "INVALID_IMAGE"         // 400: the bytes are not a readable image
	CodeUnsupported      = "UNSUPPORTED_FORMAT"    // 415: not an image type we read
	CodeTooLarge         = "FILE_TOO_LARGE"        // 413: body or image over the limit
	CodeTooManyFiles     = "TOO_MANY_FILES"        // 400: batch over server.max_batch_files
	CodeUnauthorized     = "UNAUTHORIZED"          // 401: missing or wrong X-API-Key
	CodeRateLimited      = "RATE_LIMIT_EXCEEDED"   // 429: this client's rate limit
	CodeOverloaded       = "SERVER_BUSY"           // 503: in-flight and queue full
	CodeNotReady         = "NOT_READY"             // 503: models not loaded or warmed up
	CodeTimeout          = "REQUEST_TIMEOUT"       // 504: server.request_timeout passed
	CodeNotFound         = "NOT_FOUND"             // 404
	CodeMethod           = "METHOD_NOT_ALLOWED"    // 405
	CodeInternal         = "INTERNAL_SERVER_ERROR" // 500
	CodeClientClosed     = "CLIENT_CLOSED_REQUEST" // 499: the client went away
	CodeModelUnavailable = "MODEL_UNAVAILABLE"     // 503: the runtime or a model failed to load
)

// ComponentStatus is one part of the service in HealthResponse.
type ComponentStatus struct {
	Status    string   `json:"status"` // healthy | degraded | unhealthy
	Message   string   `json:"message"`
	LatencyMS *float64 `json:"latency_ms"`
}

// HealthResponse is GET /health: liveness, component status and uptime.
type HealthResponse struct {
	Status        string                     `json:"status"` // healthy | degraded
	Version       string                     `json:"version"`
	UptimeSeconds float64                    `json:"uptime_seconds"`
	Components    map[string]ComponentStatus `json:"components"`
	Timestamp     string                     `json:"timestamp"`
	Queue         *QueueStatus               `json:"queue,omitempty"` // when jobs are on (jobs.go)
}

// ReadinessResponse is GET /readiness: 200 "ready", or 503 "not_ready" with a reason.
type ReadinessResponse struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"` // models_not_loaded | warming_up | warmup_failed | shutting_down
}

// ModelInfo describes one loaded model in InfoResponse.
type ModelInfo struct {
	Name   string  `json:"name"`
	Type   string  `json:"type"` // detection | recognition | classification
	Path   string  `json:"path"`
	Loaded bool    `json:"loaded"`
	SizeMB float64 `json:"size_mb"`
}

// Limits are the request limits in InfoResponse.
type Limits struct {
	MaxFileSizeMB              float64  `json:"max_file_size_mb"`
	MaxBatchSize               int      `json:"max_batch_size"`
	AllowedExtensions          []string `json:"allowed_extensions"`
	RateLimitRequestsPerMinute int      `json:"rate_limit_requests_per_minute"`
	RequestTimeoutSeconds      float64  `json:"request_timeout_seconds"`
	MaxInFlight                int      `json:"max_in_flight"`
	MaxQueue                   int      `json:"max_queue"`
}

// InfoResponse is GET /info.
type InfoResponse struct {
	Name           string               `json:"name"`
	Version        string               `json:"version"`
	Description    string               `json:"description"`
	Models         map[string]ModelInfo `json:"models"`
	OCREngines     []string             `json:"ocr_engines"`
	Limits         Limits               `json:"limits"`
	Provider       string               `json:"provider"` // execution provider in use: cpu | cuda | tensorrt
	RuntimeVersion string               `json:"runtime_version"`
	Batching       bool                 `json:"batching"`
	Preset         string               `json:"preset"`
	DocsURL        string               `json:"docs_url"`
	OpenAPIURL     string               `json:"openapi_url"`
	Cache          []CacheTier          `json:"cache"` // result cache tiers, fastest first; empty = no cache
}

// CacheTier is one result-cache tier's state in InfoResponse (counters since start).
type CacheTier struct {
	Tier      string `json:"tier"`  // memory | disk | redis
	State     string `json:"state"` // ok | down
	Hits      uint64 `json:"hits"`
	Misses    uint64 `json:"misses"`
	Evictions uint64 `json:"evictions"`
	Errors    uint64 `json:"errors"`
	Corrupt   uint64 `json:"corrupt"`   // damaged entries found, deleted and counted as misses
	Bytes     int64  `json:"bytes"`     // -1 when the tier cannot tell cheaply (redis)
	MaxBytes  int64  `json:"max_bytes"` // 0 = no byte bound of datalid's own (redis)
	Entries   int64  `json:"entries"`   // -1 when the tier cannot tell cheaply (redis)
}
