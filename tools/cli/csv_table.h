#pragma once
// The CSV files the user hands to `sonotype train` (a labels table, a features table) and to
// `similar --in` (a features table), read with csv.h's RFC 4180 reader: a header row naming the
// columns, then rows as long as the header.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sonotype::cli {

struct CsvTable {
  std::filesystem::path path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as long as the header; blank lines left out

  // The index of column `name`; throws std::runtime_error naming the file and the column.
  std::size_t column(std::string_view name) const;
  // "FILE row N" for rows[i] (row 1 is the first after the header), for messages.
  std::string where(std::size_t i) const;
};

// Throws std::runtime_error naming the file when it cannot be read, is not CSV, has no header,
// or has a row with another number of fields than the header.
CsvTable read_csv_table(const std::filesystem::path& path);

}  // namespace sonotype::cli
