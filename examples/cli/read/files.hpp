#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace svcdisc_cli {

/// Readable bytes every input has after its end: simdjson reads up to 64 bytes at a time.
inline constexpr std::size_t input_padding = 64;

/// The largest input svcdisc reads, per file (and from standard input): 1 GiB.
inline constexpr std::size_t max_input_bytes = std::size_t{1} << 30U;

/// The bytes of one input, followed by input_padding readable bytes. A file is memory-mapped
/// when the page it ends in leaves room for the padding (no copy of a 100 MB dump), else read
/// into an owned, padded buffer.
class source_file {
  public:
    /// The file `name`; throws cli_error (exit 2) when it cannot be read or is larger than
    /// max_input_bytes.
    [[nodiscard]] static std::unique_ptr<source_file> open(std::string name);
    /// Standard input, read to its end; named `<stdin>` in messages.
    [[nodiscard]] static std::unique_ptr<source_file> from_stdin();
    /// A copy of `text`, named `name` in messages (tests and fuzzing read from memory).
    [[nodiscard]] static std::unique_ptr<source_file> from_text(std::string name,
                                                                std::string_view text);

    source_file(const source_file&) = delete;
    source_file& operator=(const source_file&) = delete;
    ~source_file();

    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] std::string_view bytes() const noexcept { return bytes_; }

  private:
    explicit source_file(std::string name) : name_(std::move(name)) {}
    /// Keeps `text` plus the padding.
    void own(std::string text);

    std::string name_;
    std::string owned_;
    const char* mapped_ = nullptr;
    std::size_t mapped_length_ = 0;
    std::string_view bytes_;
};

/// Readies the heap for a model of about `bytes` bytes (a few times the size of a big input)
/// before reading it. On Linux with glibc, every allocation then comes from the main heap,
/// grown once by `bytes` and marked for transparent huge pages, for every thread: a 100 MB dump
/// becomes some 300 MB of small objects, and faulting that in 4 KiB at a time took most of the
/// reading time. Does nothing for less than 32 MiB, after the first call that did something, or
/// elsewhere.
void prepare_heap(std::size_t bytes);

/// The manifest files `path` stands for: the path itself, or a directory's `.yaml`, `.yml` and
/// `.json` files in name order, as kubectl reads them (subdirectories too when `recursive`).
/// Throws cli_error (exit 2) when the path does not exist, is a symlink loop, or a directory
/// cannot be listed.
[[nodiscard]] std::vector<std::string> manifest_paths(const std::string& path, bool recursive);

} // namespace svcdisc_cli
