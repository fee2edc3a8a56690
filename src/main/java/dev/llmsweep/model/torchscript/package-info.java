/**
 * The PyTorch backend: a whole decoder step as one TorchScript call ({@code llama_step.py}, written
 * into a TorchScript archive by {@link dev.llmsweep.model.torchscript.ScriptArchive} and compiled
 * by libtorch when loaded), on any device and dtype DJL's PyTorch engine runs.
 */
package dev.llmsweep.model.torchscript;
