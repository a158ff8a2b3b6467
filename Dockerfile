# The casusnet server. Build: docker build -t casusnet .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/casusnet ./cmd/casusnet

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/casusnet /casusnet
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/casusnet"]
CMD ["serve"]
