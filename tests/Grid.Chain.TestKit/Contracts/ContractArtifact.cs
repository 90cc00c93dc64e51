using System.Text.Json;
using Grid.Chain.TestKit.Abi;

namespace Grid.Chain.TestKit.Contracts;

/// <summary>One compiled contract: its ABI and its creation bytecode.</summary>
public sealed record ContractArtifact(string Name, JsonElement Abi, string Bytecode)
{
    /// <summary>The creation code with constructor arguments appended: the data of a deploying transaction.</summary>
    public string DeployData(params IEnumerable<AbiWord> constructorArguments)
    {
        if (Bytecode.Length <= 2)
        {
            throw new InvalidOperationException($"{Name} has no bytecode (an interface or abstract contract cannot be deployed).");
        }

        return Bytecode + AbiCodec.EncodeArguments(constructorArguments);
    }
}
