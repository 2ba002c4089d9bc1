#include "tools/cli/csv_table.h"

#include <stdexcept>

#include "tools/cli/csv.h"
#include "tools/cli/file_bytes.h"

namespace sonotype::cli {
namespace {

constexpr std::uintmax_t kMaxCsvBytes = 256u << 20;

}  // namespace

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw std::runtime_error(path.string() + ": no column '" + std::string(name) + "' in the header line");
}

std::string CsvTable::where(std::size_t i) const { return path.string() + " row " + std::to_string(i + 1); }

CsvTable read_csv_table(const std::filesystem::path& path) {
  CsvTable table{path, {}, {}};
  std::vector<std::vector<std::string>> records;
  try {
    const std::vector<std::uint8_t> bytes = read_file_bytes(path, kMaxCsvBytes);
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a spreadsheet's byte-order mark
    records = read_csv(text);
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
  for (auto& record : records) {
    if (record.size() == 1 && record[0].empty()) continue;  // a blank line
    if (table.header.empty()) {
      table.header = std::move(record);
      continue;
    }
    if (record.size() != table.header.size())
      throw std::runtime_error(table.where(table.rows.size()) + ": " + std::to_string(record.size()) + " fields, the header has " +
                               std::to_string(table.header.size()));
    table.rows.push_back(std::move(record));
  }
  if (table.header.empty()) throw std::runtime_error(path.string() + ": empty file (expected a header line)");
  return table;
}

}  // namespace sonotype::cli
