using System.Numerics;
using System.Text;
using Grid.Chain.Crypto;
using Grid.Chain.TestKit.Abi;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Chain.TestKit.Contracts;

/// <summary>
/// The grid's contracts on a test chain: a 6-decimal USD token (TestUsd), the deposit contract (GridDeposit) paying a
/// treasury, and a price feed (TestPriceFeed); with the transactions tests make against them. Every helper returns the
/// transaction hash without waiting for it to be mined (so it works with automine off too); calls carry a gas limit, so
/// a call that depends on a still-pending transaction (a deposit after its approve) is not refused at estimation.
/// </summary>
public sealed class ChainDeployment
{
    public const int TokenDecimals = 6;
    public const int PriceDecimals = 8;

    /// <summary>The <c>token</c> of an ETH deposit in the Deposited event.</summary>
    public const string EthToken = "0x0000000000000000000000000000000000000000";

    private const long CallGas = 300_000;
    private const long DeployGas = 5_000_000;

    private ChainDeployment(AnvilClient client, string deployer, string treasury, string token, string deposit, string priceFeed)
    {
        Client = client;
        Deployer = deployer;
        Treasury = treasury;
        Token = token;
        Deposit = deposit;
        PriceFeed = priceFeed;
    }

    public AnvilClient Client { get; }

    /// <summary>The dev account that deployed the contracts.</summary>
    public string Deployer { get; }

    /// <summary>Where the deposit contract forwards every payment.</summary>
    public string Treasury { get; }

    /// <summary>TestUsd, 6 decimals.</summary>
    public string Token { get; }

    /// <summary>GridDeposit.</summary>
    public string Deposit { get; }

    /// <summary>TestPriceFeed, 8 decimals.</summary>
    public string PriceFeed { get; }

    /// <summary>Deploys the three contracts from the first dev account and waits until they are mined.</summary>
    public static async Task<ChainDeployment> DeployAsync(AnvilClient client, ContractArtifacts artifacts, string treasury, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var accounts = await client.GetDevAccountsAsync(cancellationToken);
        return await DeployAsync(client, artifacts, treasury, accounts[0], cancellationToken);
    }

    /// <summary>Deploys the three contracts from <paramref name="deployer"/> (a dev account) and waits until they are mined.</summary>
    public static async Task<ChainDeployment> DeployAsync(AnvilClient client, ContractArtifacts artifacts, string treasury, string deployer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(artifacts);
        // Sent together and then awaited, so interval mining puts all three in one block.
        var token = await SendDeploymentAsync(client, artifacts[ContractArtifacts.TestUsd], deployer, [], cancellationToken);
        var deposit = await SendDeploymentAsync(client, artifacts[ContractArtifacts.GridDeposit], deployer, [AbiWord.Address(treasury)], cancellationToken);
        var feed = await SendDeploymentAsync(client, artifacts[ContractArtifacts.TestPriceFeed], deployer, [], cancellationToken);
        return new ChainDeployment(
            client,
            deployer.ToLowerInvariant(),
            treasury.ToLowerInvariant(),
            await DeployedAddressAsync(client, token, cancellationToken),
            await DeployedAddressAsync(client, deposit, cancellationToken),
            await DeployedAddressAsync(client, feed, cancellationToken));
    }

    /// <summary>Deploys any compiled contract from a dev account, waits until it is mined and returns its address.</summary>
    public static async Task<string> DeployContractAsync(AnvilClient client, ContractArtifact artifact, string from, IEnumerable<AbiWord> constructorArguments, CancellationToken cancellationToken)
    {
        var hash = await SendDeploymentAsync(client, artifact, from, constructorArguments, cancellationToken);
        return await DeployedAddressAsync(client, hash, cancellationToken);
    }

    /// <summary>A payment reference for tests: keccak256 of <paramref name="text"/>, 32 bytes.</summary>
    public static byte[] Reference(string text) => Keccak256.Hash(Encoding.UTF8.GetBytes(text));

    /// <summary>Mints <paramref name="amount"/> token units (6 decimals) to <paramref name="to"/>.</summary>
    public Task<string> MintAsync(string to, BigInteger amount, CancellationToken cancellationToken) =>
        CallAsync(Deployer, Token, AbiCodec.EncodeCall("mint(address,uint256)", AbiWord.Address(to), AbiWord.Uint(amount)), cancellationToken);

    /// <summary><c>deposit(ref)</c> with <paramref name="wei"/> attached, from a dev account.</summary>
    public Task<string> DepositEthAsync(string from, BigInteger wei, ReadOnlyMemory<byte> reference, CancellationToken cancellationToken) =>
        Client.SendTransactionAsync(
            new TransactionRequest(from, Deposit, wei, AbiCodec.EncodeCall("deposit(bytes32)", AbiWord.Bytes32(reference.Span)), CallGas),
            cancellationToken);

    /// <summary>Approves the deposit contract for <paramref name="amount"/> of TestUsd, then <c>depositToken</c>; returns the deposit's hash.</summary>
    public Task<string> DepositTokenAsync(string from, BigInteger amount, ReadOnlyMemory<byte> reference, CancellationToken cancellationToken) =>
        DepositTokenOfAsync(Token, from, amount, reference, cancellationToken);

    /// <summary>Approves the deposit contract for <paramref name="amount"/> of <paramref name="token"/>, then <c>depositToken</c>; returns the deposit's hash.</summary>
    public async Task<string> DepositTokenOfAsync(string token, string from, BigInteger amount, ReadOnlyMemory<byte> reference, CancellationToken cancellationToken)
    {
        await CallAsync(from, token, AbiCodec.EncodeCall("approve(address,uint256)", AbiWord.Address(Deposit), AbiWord.Uint(amount)), cancellationToken);
        return await CallAsync(
            from,
            Deposit,
            AbiCodec.EncodeCall("depositToken(address,uint256,bytes32)", AbiWord.Address(token), AbiWord.Uint(amount), AbiWord.Bytes32(reference.Span)),
            cancellationToken);
    }

    /// <summary>A plain ERC-20 <c>transfer</c> of TestUsd.</summary>
    public Task<string> TransferTokenAsync(string from, string to, BigInteger amount, CancellationToken cancellationToken) =>
        CallAsync(from, Token, AbiCodec.EncodeCall("transfer(address,uint256)", AbiWord.Address(to), AbiWord.Uint(amount)), cancellationToken);

    /// <summary>Sets the feed's answer (8 decimals) and update time, starting a new round.</summary>
    public Task<string> SetPriceAsync(BigInteger answer, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        SetPriceAsync(answer, updatedAt.ToUnixTimeSeconds(), cancellationToken);

    /// <summary>As <see cref="SetPriceAsync(BigInteger, DateTimeOffset, CancellationToken)"/>, with any update time a feed could answer (seconds).</summary>
    public Task<string> SetPriceAsync(BigInteger answer, BigInteger updatedAtSeconds, CancellationToken cancellationToken) =>
        CallAsync(Deployer, PriceFeed, AbiCodec.EncodeCall("set(int256,uint256)", AbiWord.Int(answer), AbiWord.Uint(updatedAtSeconds)), cancellationToken);

    /// <summary>TestUsd's balanceOf at the latest block.</summary>
    public async Task<BigInteger> GetTokenBalanceAsync(string owner, CancellationToken cancellationToken) =>
        AbiCodec.ReadUint(await Client.CallAsync(Token, AbiCodec.EncodeCall("balanceOf(address)", AbiWord.Address(owner)), cancellationToken), 0);

    /// <summary>The feed's latestRoundData at the latest block.</summary>
    public async Task<PriceRound> GetLatestPriceAsync(CancellationToken cancellationToken)
    {
        var data = await Client.CallAsync(PriceFeed, AbiCodec.EncodeCall("latestRoundData()"), cancellationToken);
        return new PriceRound(
            AbiCodec.ReadUint(data, 0),
            AbiCodec.ReadInt(data, 1),
            DateTimeOffset.FromUnixTimeSeconds((long)AbiCodec.ReadUint(data, 2)),
            DateTimeOffset.FromUnixTimeSeconds((long)AbiCodec.ReadUint(data, 3)),
            AbiCodec.ReadUint(data, 4));
    }

    private static Task<string> SendDeploymentAsync(AnvilClient client, ContractArtifact artifact, string from, IEnumerable<AbiWord> constructorArguments, CancellationToken cancellationToken) =>
        client.SendTransactionAsync(new TransactionRequest(from, null, BigInteger.Zero, artifact.DeployData(constructorArguments), DeployGas), cancellationToken);

    private static async Task<string> DeployedAddressAsync(AnvilClient client, string transactionHash, CancellationToken cancellationToken)
    {
        var receipt = await client.WaitForReceiptAsync(transactionHash, cancellationToken);
        return receipt is { Succeeded: true, ContractAddress: { } address }
            ? address
            : throw new InvalidOperationException($"Deployment {transactionHash} failed: {receipt}.");
    }

    private Task<string> CallAsync(string from, string to, string data, CancellationToken cancellationToken) =>
        Client.SendTransactionAsync(new TransactionRequest(from, to, BigInteger.Zero, data, CallGas), cancellationToken);
}
