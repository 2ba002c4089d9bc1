#pragma once
// CSV as RFC 4180 writes it, for the tables the CLI prints (`features`, `classify --format csv`)
// and reads back (`similar --in TABLE.csv`): a field holding a comma, a double quote or a line
// break is enclosed in double quotes, with each double quote inside doubled. Lines end in LF, as
// the Kaggle GTZAN tables do (RFC 4180 readers such as Python's csv and pandas accept it).
#include <string>
#include <string_view>
#include <vector>

namespace sonotype::cli {

// One field, quoted when it must be: `Blues, "live" é.wav` -> `"Blues, ""live"" é.wav"`.
std::string csv_field(std::string_view text);

// The fields joined by commas, each through csv_field, with the final LF.
std::string csv_line(const std::vector<std::string>& fields);

// The records of a whole CSV text, the inverse of csv_line: quoted fields may hold commas, doubled
// quotes and line breaks; CRLF and LF both end a record; a final line break is optional. Throws
// std::invalid_argument, naming the line, for a quote that is never closed or text after a
// closing quote.
std::vector<std::vector<std::string>> read_csv(std::string_view text);

}  // namespace sonotype::cli
