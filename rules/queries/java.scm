; Extraction query for Java (tree-sitter-java), in gapmap's language-neutral capture vocabulary
; (see python.scm). The name of a method invocation is its callee: the adapter reads it with the
; object in front (chatClient.prompt), and folds builder chains (X.builder().a(1).build()) and
; Spring AI's fluent requests (chatClient.prompt().user(u).call()) into one call.

(method_invocation name: (_) @call.callee arguments: (_) @call.args) @call
(object_creation_expression type: (_) @call.callee) @call.new

(local_variable_declaration declarator: (variable_declarator name: (_) @binding.target value: (_) @binding.value)) @binding
(local_variable_declaration type: (_) @binding.value declarator: (variable_declarator name: (_) @binding.target !value)) @binding
(assignment_expression left: (_) @binding.target right: (_) @binding.value) @binding
(enhanced_for_statement name: (_) @binding.target value: (_) @binding.value) @binding.loop
; Fields: `private final ChatClient chatClient;` (injected) and `= ...` initialisers are attributes.
(field_declaration type: (_) @binding.value declarator: (variable_declarator name: (_) @binding.target !value)) @binding.field
(field_declaration declarator: (variable_declarator name: (_) @binding.target value: (_) @binding.value)) @binding.field
; record Service(ChatClient client) {}: components are fields.
(record_declaration parameters: (formal_parameters (formal_parameter type: (_) @binding.value name: (_) @binding.target))) @binding.field

(import_declaration) @import
(package_declaration) @import

(method_declaration name: (identifier) @function.name) @function
(constructor_declaration name: (identifier) @function.name) @function
(lambda_expression) @function

(class_declaration name: (identifier) @class.name) @class
(record_declaration name: (identifier) @class.name) @class
(enum_declaration name: (identifier) @class.name) @class
(interface_declaration name: (identifier) @class.name) @class

(return_statement (_) @return.value) @return

(try_statement body: (block) @try.body) @try
(try_with_resources_statement body: (block) @try.body) @try

(if_statement condition: (_) @cond.test consequence: (_) @cond.body) @cond
(while_statement condition: (_) @cond.test body: (_) @cond.body) @cond
(ternary_expression condition: (_) @cond.test) @cond
(switch_expression condition: (_) @cond.test) @cond

(for_statement) @loop
(enhanced_for_statement) @loop
(while_statement condition: (_) @loop.cond) @loop
(do_statement condition: (_) @loop.cond) @loop

(throw_statement) @raise

(line_comment) @comment
(block_comment) @comment
