# The container image of a release: the GoReleaser-built linux binary alone
# on distroless, nothing compiled here. .github/workflows/release.yml
# copies dist's linux binaries to image/linux/amd64/skillgate and
# image/linux/arm64/skillgate and builds this file from the repository root
# for both platforms at once; buildx sets TARGETPLATFORM (linux/amd64,
# linux/arm64) for each, which picks the binary.
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETPLATFORM
COPY image/${TARGETPLATFORM}/skillgate /usr/local/bin/skillgate
# Non-root. UID 1001 is the GitHub-hosted runner's user: the runner mounts the
# workspace and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files owned by it, and
# distroless's own nonroot user (65532) could not write them.
USER 1001:1001
ENTRYPOINT ["/usr/local/bin/skillgate"]
CMD ["action"]
