/**
 * The PyTorch backend: a whole decoder step as one TorchScript call ({@code llama_step.py}, written
 * into a TorchScript archive by {@link dev.llmsweep.model.torchscript.ScriptArchive} and compiled
 * by libtorch when loaded by {@link dev.llmsweep.model.torchscript.ScriptLoader}), on any device
 * and dtype DJL's PyTorch engine runs; {@link dev.llmsweep.model.torchscript.ScriptDecoder} makes
 * its calls.
 */
package dev.llmsweep.model.torchscript;
