using System.Globalization;
using System.Numerics;
using Grid.Chain.Abi;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Abi;

/// <summary>Checks the ABI code against ethers' AbiCoder and fragments for random signatures and arguments.</summary>
public sealed class AbiOracleTests(AbiVectorsFixture oracle) : IClassFixture<AbiVectorsFixture>
{
    [Fact]
    public void Selectors_match_ethers()
    {
        Assert.Equal(AbiVectors.Count, oracle.Vectors.Calls.Count);
        foreach (var call in oracle.Vectors.Calls)
        {
            Assert.Equal(call.Selector, HexQuantity.EncodeData(AbiSignatures.FunctionSelector(call.Signature)));
        }
    }

    [Fact]
    public void Event_topics_match_ethers()
    {
        Assert.Equal(AbiVectors.Count, oracle.Vectors.Events.Count);
        foreach (var vector in oracle.Vectors.Events)
        {
            Assert.Equal(vector.Topic, AbiSignatures.EventTopic(vector.Signature).ToString());
        }
    }

    [Fact]
    public void Calldata_matches_ethers_encodeFunctionData()
    {
        var typesSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in oracle.Vectors.Calls)
        {
            var encoder = AbiEncoder.ForFunction(call.Signature);
            foreach (var argument in call.Args)
            {
                typesSeen.Add(argument.Type);
                Append(encoder, argument);
            }

            Assert.Equal(call.Data, HexQuantity.EncodeData(encoder.Build()));
        }

        Assert.Equal(5, typesSeen.Count);
    }

    [Fact]
    public void Decoding_ethers_AbiCoder_words_gives_the_arguments_back()
    {
        foreach (var call in oracle.Vectors.Calls)
        {
            var words = HexQuantity.ParseData(call.Encoded);
            Assert.Equal(call.Args.Count * 32, words.Length);
            for (var i = 0; i < call.Args.Count; i++)
            {
                var argument = call.Args[i];
                switch (argument.Type)
                {
                    case "address":
                        Assert.Equal(argument.Value, AbiDecoder.Address(words, i).ToChecksumString());
                        break;
                    case "uint256":
                        Assert.Equal(Integer(argument.Value), AbiDecoder.UInt256(words, i));
                        break;
                    case "int256":
                        Assert.Equal(Integer(argument.Value), AbiDecoder.Int256(words, i));
                        break;
                    case "bool":
                        Assert.Equal(argument.Value == "true", AbiDecoder.Bool(words, i));
                        break;
                    case "bytes32":
                        Assert.Equal(argument.Value, HexQuantity.EncodeData(AbiDecoder.Bytes32(words, i)));
                        break;
                    default:
                        Assert.Fail($"abi-vectors.mjs sent an argument of type {argument.Type}.");
                        break;
                }
            }
        }
    }

    private static void Append(AbiEncoder encoder, AbiVectors.Argument argument)
    {
        switch (argument.Type)
        {
            case "address":
                encoder.Address(EthereumAddress.Parse(argument.Value));
                break;
            case "uint256":
                encoder.UInt256(Integer(argument.Value));
                break;
            case "int256":
                encoder.Int256(Integer(argument.Value));
                break;
            case "bool":
                encoder.Bool(argument.Value == "true");
                break;
            case "bytes32":
                encoder.Bytes32(HexQuantity.ParseData(argument.Value));
                break;
            default:
                Assert.Fail($"abi-vectors.mjs sent an argument of type {argument.Type}.");
                break;
        }
    }

    private static BigInteger Integer(string value) => BigInteger.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
