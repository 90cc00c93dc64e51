global using Grid.TestKit;
global using Xunit;
