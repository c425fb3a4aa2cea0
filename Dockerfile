# syntax=docker/dockerfile:1
# Build: docker build -t authlab .
# Run:   docker run -p 8080:8080 -v authlab-data:/data authlab

FROM golang:1.27-bookworm AS build
# go.mod requires Go 1.27.3; an older image fetches that toolchain itself.
ENV GOTOOLCHAIN=go1.27.3
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# cgo is required: SQLite is mattn/go-sqlite3.
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o /out/authlab . && /out/authlab check

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates wget \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data authlab \
    && mkdir -p /data && chown authlab /data
COPY --from=build /out/authlab /usr/local/bin/authlab
USER authlab
ENV AUTHLAB_ADDR=:8080 AUTHLAB_DATA=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/authlab"]
CMD ["serve"]
