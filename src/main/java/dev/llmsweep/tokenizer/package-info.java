/**
 * Text to token ids and back through DJL's Hugging Face tokenizers (only ever from a local {@code
 * tokenizer.json}), and the byte-level tokenizer that the built-in tiny model ships.
 */
package dev.llmsweep.tokenizer;
