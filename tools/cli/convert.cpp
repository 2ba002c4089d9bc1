// `sonotype convert IN.json OUT.sono [--dtype f32|f16]`: the interchange JSON of tools/train.py
// (models/interchange.md) as a .sono blob (models/FORMAT.md). The blob is loaded back and must
// reproduce the document's golden outputs before it is written: with f32 weights every label
// and every probability within 1e-5; with f16 weights at least 99% of the labels. The blob also
// gets the novelty detector's entries (core/model/novelty.h), measured on the KNN's training rows
// or on the document's reference rows.
#include <cstdio>
#include <fstream>
#include <map>

#include "core/model/model.h"
#include "tools/cli/commands.h"
#include "tools/cli/file_bytes.h"
#include "tools/cli/interchange.h"

namespace sonotype::cli {
namespace {

constexpr double kF32Tolerance = 1e-5;
constexpr double kF16MinLabelAgreement = 0.99;

struct ConvertOptions {
  std::string input, output;
  model::DType weights = model::DType::f32;
  int novelty_k = model::kNoveltyK;
  double novelty_percentile = model::kNoveltyPercentile;
};

// The novelty entries over `reference`, or a note why there are none.
void add_novelty_over(Conversion& conversion, const std::string& reference, const ConvertOptions& options) {
  model::Blob& blob = conversion.blob;
  const auto& shape = blob.tensor(reference).shape;
  if (shape.size() != 2 || shape[0] <= static_cast<std::uint32_t>(options.novelty_k)) {
    conversion.notes.push_back("novelty: " + reference + " has too few training rows to measure it; not stored");
    return;
  }
  model::add_novelty(blob, reference, options.novelty_k, options.novelty_percentile);
  conversion.notes.push_back("novelty: mean distance to the " + std::to_string(options.novelty_k) + " nearest of the " +
                             std::to_string(shape[0]) + " rows of " + reference + "; threshold " +
                             model::to_string(*blob.find_meta("novelty.threshold")) + ", the " +
                             model::to_string(options.novelty_percentile) +
                             "th percentile of the rows' leave-one-out scores");
}

// The novelty entries, with a KNN's training rows as reference when they are the standardised
// rows already: the root pipeline's estimator is that KNN, or has it as a direct member. Then
// novelty costs the blob no tensor of its own. Otherwise the document's own reference rows
// (models/interchange.md, `novelty`) become the tensor `novelty.rows`.
void add_novelty_entries(Conversion& conversion, const ConvertOptions& options) {
  model::Blob& blob = conversion.blob;
  const std::string root_estimator = blob.text(blob.text("graph.root") + ".estimator");
  std::vector<std::string> candidates{root_estimator};
  if (const auto* members = blob.find_meta(root_estimator + ".members"))
    if (const auto* names = std::get_if<std::vector<std::string>>(members)) candidates.insert(candidates.end(), names->begin(), names->end());
  for (const std::string& name : candidates) {
    const auto* kind = blob.find_meta(name + ".kind");
    if (!kind || *kind != model::MetaValue{std::string("knn")}) continue;
    add_novelty_over(conversion, name + ".fit_X", options);
    return;
  }
  if (conversion.novelty_rows) {
    blob.tensors.push_back(*conversion.novelty_rows);
    add_novelty_over(conversion, conversion.novelty_rows->name, options);
    return;
  }
  conversion.notes.push_back("novelty: neither a KNN nor the document holds the standardised training rows; "
                             "the model cannot say when a sound is not music");
}

// Whether the golden check passed, after printing it.
bool report_golden(const GoldenCheck& check, model::DType weights) {
  if (check.rows == 0) {
    std::printf("  golden: none in the document, nothing checked\n");
    return true;
  }
  std::printf("  golden: %zu rows, labels agree %zu/%zu, max |dp| %.3g (base estimators %.3g)\n", check.rows,
              check.same_label, check.rows, check.max_delta, check.max_base_delta);
  if (weights == model::DType::f32)
    return check.same_label == check.rows && check.max_delta <= kF32Tolerance && check.max_base_delta <= kF32Tolerance;
  return static_cast<double>(check.same_label) >= kF16MinLabelAgreement * static_cast<double>(check.rows);
}

// The blob as GenreModel reads it; its complaints are about the interchange file's content.
GenreModel load_converted(const std::vector<std::uint8_t>& blob) {
  try {
    return GenreModel::from_bytes(blob);
  } catch (const ModelError& e) {
    throw ModelError(std::string("not a usable model: ") + e.what());
  }
}

void run_convert(const ConvertOptions& options) {
  const auto fail = [&](const std::string& message) {
    std::fprintf(stderr, "sonotype convert: %s\n", message.c_str());
    throw CLI::RuntimeError(1);
  };
  try {
    const std::vector<std::uint8_t> text = read_file_bytes(options.input);
    const nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end());
    Conversion conversion = convert_interchange(doc, options.weights);
    add_novelty_entries(conversion, options);
    const std::vector<std::uint8_t> blob = model::write_blob(conversion.blob);
    const GenreModel model = load_converted(blob);

    std::printf("%s -> %s: %zu bytes (%s weights; the JSON has %zu bytes)\n", options.input.c_str(), options.output.c_str(),
                blob.size(), std::string(model::dtype_name(options.weights)).c_str(), text.size());
    for (const auto& note : conversion.notes) std::printf("  %s\n", note.c_str());
    if (!report_golden(check_golden(model, doc), options.weights))
      fail(options.input + ": the converted model does not reproduce the golden outputs; nothing written");
    write_file_bytes(options.output, blob);
  } catch (const CLI::Error&) {
    throw;  // fail() above, already reported
  } catch (const nlohmann::json::exception& e) {
    fail(options.input + ": " + e.what());
  } catch (const std::runtime_error& e) {  // ModelError and file errors
    fail(options.input + ": " + e.what());
  }
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert a model interchange JSON (tools/train.py) to a .sono blob");
  cmd->add_option("input", options->input, "Interchange JSON (models/interchange.md)")->required();
  cmd->add_option("output", options->output, "The .sono blob to write")->required();
  const std::map<std::string, model::DType> dtypes{{"f32", model::DType::f32}, {"f16", model::DType::f16}};
  cmd->add_option("--dtype", options->weights, "Storage type of the large weight matrices")
      ->transform(CLI::CheckedTransformer(dtypes))
      ->default_str("f32");
  cmd->add_option("--novelty-k", options->novelty_k, "Neighbours the novelty score averages")
      ->check(CLI::Range(1, 100))->capture_default_str();
  cmd->add_option("--novelty-percentile", options->novelty_percentile,
                  "Percentile of the training rows' own novelty scores that becomes the threshold")
      ->check(CLI::Range(50.0, 100.0))->capture_default_str();
  cmd->callback([options] { run_convert(*options); });
}

}  // namespace sonotype::cli
