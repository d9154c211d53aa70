; Extraction query for Python (tree-sitter-python). Capture names are gapmap's language-neutral
; vocabulary (src/lang/extractor.cpp): @call, @binding, @import, @function, @class, @return,
; @try, @cond, @loop, @with, @raise, @comment, each with sub-captures for the parts the adapter
; summarises.

(call function: (_) @call.callee arguments: (_) @call.args) @call

(assignment left: (_) @binding.target right: (_) @binding.value) @binding
(with_item value: (as_pattern (_) @binding.value alias: (as_pattern_target (_) @binding.target))) @binding
(for_statement left: (_) @binding.target right: (_) @binding.value) @binding.loop
(named_expression name: (_) @binding.target value: (_) @binding.value) @binding

(import_statement) @import
(import_from_statement) @import

(function_definition name: (identifier) @function.name) @function
(class_definition name: (identifier) @class.name) @class

(return_statement (_) @return.value) @return

(try_statement body: (block) @try.body) @try

(if_statement condition: (_) @cond.test consequence: (_) @cond.body) @cond
(elif_clause condition: (_) @cond.test consequence: (_) @cond.body) @cond
(while_statement condition: (_) @cond.test body: (_) @cond.body) @cond
(assert_statement . (_) @cond.test) @cond
(conditional_expression) @cond

(for_statement) @loop
(while_statement condition: (_) @loop.cond) @loop

(with_statement (with_clause (with_item value: (as_pattern . (_) @with.value)))) @with
(with_statement (with_clause (with_item value: [(call) (attribute) (identifier)] @with.value))) @with

(raise_statement) @raise

(comment) @comment
