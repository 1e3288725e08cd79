// A main() for the fuzz harnesses without libFuzzer: runs LLVMFuzzerTestOneInput
// once on every file named on the command line (or found in a directory named
// there). The normal test suite uses it to replay each harness's seed corpus,
// regression inputs included, under whatever sanitizers the build has (GCC's
// ASan+UBSan in the dev preset), so a seed that crashes fails ctest too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int replay(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<uint8_t> copy(bytes.begin(), bytes.end()); // exactly `size` bytes, as libFuzzer passes them
    LLVMFuzzerTestOneInput(copy.data(), copy.size());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    int ran = 0;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path arg(argv[i]);
        if (std::filesystem::is_directory(arg)) {
            for (const auto& entry : std::filesystem::directory_iterator(arg))
                if (entry.is_regular_file())
                    ran += replay(entry.path());
        } else {
            ran += replay(arg);
        }
    }
    std::printf("replayed %d inputs\n", ran);
    return ran > 0 ? 0 : 1; // an empty corpus is a mistake, not a pass
}
