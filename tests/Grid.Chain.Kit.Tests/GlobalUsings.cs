global using Grid.Chain.TestKit;
global using Grid.Chain.TestKit.Abi;
global using Grid.Chain.TestKit.Anvil;
global using Grid.Chain.TestKit.Contracts;
global using Grid.Chain.TestKit.Rpc;
global using Grid.Chain.Kit.Tests.Support;
global using Xunit;
