#pragma once
// Jupyter notebooks: the code cells joined into one source, with a map back to cells and to the
// lines of the .ipynb as stored (SPEC §2: findings carry cell, cell_line and the stored line).
#include <string>
#include <string_view>
#include <vector>

#include "core/summary.h"

namespace gapmap::lang {

struct NotebookSource {
  std::string language = "python";
  std::string code;  // code cells joined with '\n'; IPython magics blanked to comments
  std::vector<CellSpan> cells;
  std::string error;  // non-empty when the file is not a readable notebook
  uint32_t error_line = 1;
};

NotebookSource read_notebook(std::string_view text);

// Maps a line of NotebookSource::code to (cell, line in cell, stored line); false if none.
bool map_notebook_line(const std::vector<CellSpan>& cells, uint32_t line, uint32_t& cell, uint32_t& cell_line,
                       uint32_t& stored_line);

}  // namespace gapmap::lang
