#include "read/files.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/mman.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include "cli_error.hpp"

namespace svcdisc_cli {

namespace {

[[noreturn]] void cannot_read(const std::string& name) {
    throw cli_error(2, "error: cannot read \"" + name + "\": " + std::strerror(errno) + "\n");
}

bool is_manifest_name(const std::filesystem::path& p) {
    const auto ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

[[noreturn]] void too_large(const std::string& name) {
    throw cli_error(2, "error: \"" + name + "\" is larger than 1 GiB, the most svcdisc reads " +
                           "from one file\n");
}

/// Everything left to read from `fd`; false (errno set) on a read error. Stops with an error
/// past max_input_bytes: a pipe or device may never end.
bool read_all(int fd, std::string& text, const std::string& name) {
    std::array<char, 65536> buffer{};
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got == 0) {
            return true;
        }
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        if (text.size() + static_cast<std::size_t>(got) > max_input_bytes) {
            too_large(name);
        }
        text.append(buffer.data(), static_cast<std::size_t>(got));
    }
}

/// The error for a path that cannot be used: a symlink loop, a permission problem; or, when
/// the error says the path is missing, kubectl's "does not exist".
[[noreturn]] void unusable_path(const std::string& path, const std::error_code& ec) {
    if (!ec || ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
        throw cli_error(2, "error: the path \"" + path + "\" does not exist\n");
    }
    if (ec == std::errc::too_many_symbolic_link_levels) {
        throw cli_error(2, "error: cannot read \"" + path + "\": symlink loop (" + ec.message() +
                               ")\n");
    }
    throw cli_error(2, "error: cannot read \"" + path + "\": " + ec.message() + "\n");
}

} // namespace

void source_file::own(std::string text) {
    const std::size_t size = text.size();
    owned_ = std::move(text);
    owned_.append(input_padding, '\0');
    bytes_ = std::string_view(owned_.data(), size);
}

std::unique_ptr<source_file> source_file::open(std::string name) {
    std::unique_ptr<source_file> f(new source_file(std::move(name)));
    const int fd = ::open(f->name_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cannot_read(f->name_);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        ::close(fd);
        cannot_read(f->name_);
    }
    const auto size = static_cast<std::size_t>(info.st_size);
    if (size > max_input_bytes) {
        ::close(fd);
        too_large(f->name_);
    }
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t length = (size + page - 1) / page * page;
    if (size > 0 && length - size >= input_padding) {
        void* map = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (map != MAP_FAILED) {
            ::close(fd);
            f->mapped_ = static_cast<const char*>(map);
            f->mapped_length_ = length;
            f->bytes_ = std::string_view(f->mapped_, size);
            return f;
        }
    }
    std::string text;
    text.reserve(size);
    bool read = false;
    try {
        read = read_all(fd, text, f->name_);
    } catch (const cli_error&) {
        ::close(fd);
        throw;
    }
    const int read_errno = errno;
    ::close(fd);
    if (!read) {
        errno = read_errno;
        cannot_read(f->name_);
    }
    f->own(std::move(text));
    return f;
}

std::unique_ptr<source_file> source_file::from_stdin() {
    std::unique_ptr<source_file> f(new source_file("<stdin>"));
    std::string text;
    std::array<char, 65536> buffer{};
    std::size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), stdin)) > 0) {
        if (text.size() + got > max_input_bytes) {
            too_large(f->name_);
        }
        text.append(buffer.data(), got);
    }
    f->own(std::move(text));
    return f;
}

std::unique_ptr<source_file> source_file::from_text(std::string name, std::string_view text) {
    std::unique_ptr<source_file> f(new source_file(std::move(name)));
    f->own(std::string(text));
    return f;
}

source_file::~source_file() {
    if (mapped_ != nullptr) {
        ::munmap(const_cast<char*>(mapped_), mapped_length_); // NOLINT(*-const-cast)
    }
}

void prepare_heap(std::size_t bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    constexpr std::size_t huge_page = std::size_t{2} << 20U;
    constexpr std::size_t smallest = std::size_t{32} << 20U;
    constexpr std::size_t largest = std::size_t{3} << 29U; // what M_TOP_PAD takes: an int
    static bool prepared = false;
    if (prepared || bytes < smallest) {
        return;
    }
    prepared = true;
    bytes = std::min(bytes, largest);
    // No allocation is mmapped on its own (glibc does so from 128 KiB, and the big vectors
    // of pods would fault in 4 KiB at a time); the heap is never trimmed; its next growth
    // adds `bytes` at once. The second thread that derives keeps an arena of its own: both
    // threads allocate for every endpoint, and waiting on one arena's lock cost more CPU
    // than the second arena's small pages do.
    if (::mallopt(M_MMAP_MAX, 0) == 0 ||
        ::mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max()) == 0 ||
        ::mallopt(M_TOP_PAD, static_cast<int>(bytes)) == 0) {
        return; // another allocator (a sanitizer's) stands in for glibc's
    }
    const auto* const start = static_cast<const char*>(::sbrk(0));
    std::array<void*, 8> blocks{};
    std::size_t allocated = 0;
    while (allocated < blocks.size() && ::sbrk(0) == start) {
        blocks[allocated++] = std::malloc(std::size_t{1} << 20U);
    }
    const auto* const end = static_cast<const char*>(::sbrk(0));
    const auto align_up = [&](const char* p) {
        return (reinterpret_cast<std::uintptr_t>(p) + huge_page - 1) / huge_page * huge_page;
    };
    const std::uintptr_t from = align_up(start);
    const std::uintptr_t to = reinterpret_cast<std::uintptr_t>(end) / huge_page * huge_page;
    if (end > start && to > from) {
        ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
    }
    for (std::size_t i = 0; i < allocated; ++i) {
        std::free(blocks[i]);
    }
    ::mallopt(M_TOP_PAD, 128 * 1024); // glibc's default again, for growth beyond `bytes`
#else
    (void)bytes;
#endif
}

std::vector<std::string> manifest_paths(const std::string& path, bool recursive) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        unusable_path(path, ec);
    }
    if (!fs::is_directory(status)) {
        return {path};
    }
    std::vector<std::string> names;
    auto collect = [&](const fs::directory_entry& e) {
        std::error_code entry_ec;
        if (e.is_regular_file(entry_ec) && is_manifest_name(e.path())) {
            names.push_back(e.path().string());
        }
    };
    // An unreadable directory anywhere below is an error naming it, not a silent gap.
    const auto failed = [&](const fs::path& where) { unusable_path(where.string(), ec); };
    if (recursive) {
        fs::recursive_directory_iterator it(path, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            collect(*it);
            if (it->is_directory(ec) && !ec) {
                fs::directory_iterator probe(it->path(), ec);
                if (ec) {
                    failed(it->path());
                }
            }
        }
        if (ec) {
            failed(path);
        }
    } else {
        fs::directory_iterator it(path, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            collect(*it);
        }
        if (ec) {
            failed(path);
        }
    }
    std::sort(names.begin(), names.end()); // kubectl reads a directory in name order
    return names;
}

} // namespace svcdisc_cli
